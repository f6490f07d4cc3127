using IdentityDirectory.Scim;

namespace IdentityDirectory.Store;

/// <summary>Turns the store's constraint outcomes into the SCIM errors the rules name.</summary>
public static class StoreWrites
{
    public static async Task RunAsync(Func<Task> write, string resourceType, Action onStale)
    {
        try
        {
            await write();
        }
        catch (UniqueConstraintException)
        {
            throw ScimException.Uniqueness(); // R-USR-8, R-GRP-2, P-1
        }
        catch (UnknownMemberException e)
        {
            throw ScimException.InvalidValue(e.Message); // R-GRP-5
        }
        catch (QuotaExceededException e)
        {
            throw ScimException.InvalidValue(e.Message); // R-AWS-1
        }
        catch (TenantDeletedException e)
        {
            throw ScimException.NotFound(e.Message);
        }
        catch (StaleWriteException)
        {
            onStale();
            throw new ScimException(409, ScimTypes.InvalidVers, $"The {resourceType} was changed concurrently; retry the request.");
        }
    }
}
