using IdentityDirectory.Assignments;

namespace IdentityDirectory.Sessions;

[GenerateSerializer, Alias("IdentityDirectory.SessionRecord")]
public sealed record SessionRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Alias("IdentityDirectory.SessionState")]
public sealed class SessionState
{
    [Id(0)] public List<SessionRecord> Sessions { get; set; } = [];

    /// <summary>When the user was deleted or disabled; live sessions end at most two hours later (S-2).</summary>
    [Id(1)] public DateTimeOffset? EndedAt { get; set; }

    [Id(2)] public bool Deleted { get; set; }

    /// <summary>What the user could reach when it ended (S-5).</summary>
    [Id(3)] public List<AccessGrant> AccessAtEnd { get; set; } = [];
}
