using CsCheck;

namespace IdentityDirectory.Tests.Fuzz;

public static class FuzzGen
{
    /// <summary>One of <paramref name="gens"/>, chosen by weight (CsCheck's Frequency, without its overload for constants).</summary>
    public static Gen<T> Weighted<T>(params (int Weight, Gen<T> Gen)[] gens) =>
        Gen.Frequency(gens.Select(g => (g.Weight, (IGen<T>)g.Gen)).ToArray());
}
