using IdentityDirectory.Store;

namespace IdentityDirectory.Groups;

/// <summary>
/// The membership a group write asks for: members to add and to remove, or, when
/// <see cref="ReplacesAll"/>, the whole member list (<see cref="Add"/>), which only the current members
/// can turn into edge changes (<see cref="Against"/>).
/// </summary>
public sealed record MemberPlan(bool ReplacesAll, IReadOnlyList<string> Add, IReadOnlyList<string> Remove)
{
    public static MemberPlan Replacing(IReadOnlyList<string> members) => new(true, members, []);

    /// <summary>The edge changes; <paramref name="current"/>, the group's members, is needed only when <see cref="ReplacesAll"/>.</summary>
    public MembershipChange Against(IReadOnlyCollection<string>? current) =>
        ReplacesAll ? new MembershipChange(Add.Except(current!).ToList(), current!.Except(Add).ToList()) : new MembershipChange(Add, Remove);

    /// <summary>Folds a request's member operations in order: a later operation on a member overrides an earlier one.</summary>
    public sealed class Builder
    {
        private readonly List<string> _add = [];
        private readonly List<string> _remove = [];
        private bool _replacesAll;

        public void Add(IEnumerable<string> ids)
        {
            foreach (var id in ids)
            {
                _remove.Remove(id);
                if (!_add.Contains(id))
                    _add.Add(id);
            }
        }

        public void Remove(IEnumerable<string> ids)
        {
            foreach (var id in ids)
            {
                _add.Remove(id);
                if (!_replacesAll && !_remove.Contains(id))
                    _remove.Add(id);
            }
        }

        public void ReplaceAll(IEnumerable<string> ids)
        {
            _replacesAll = true;
            _remove.Clear();
            _add.Clear();
            Add(ids);
        }

        public MemberPlan Build() => new(_replacesAll, _add.ToList(), _remove.ToList());
    }
}
