namespace IdentityDirectory.Telemetry;

/// <summary>The name of the product's own meter, which silos record on and every host exports.</summary>
public static class DirectoryMeter
{
    public const string Name = "IdentityDirectory";
}
