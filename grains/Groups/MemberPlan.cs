using IdentityDirectory.Store;

namespace IdentityDirectory.Groups;

/// <summary>
/// The membership a group write asks for: members to add and to remove, or, when
/// <see cref="ReplacesAll"/>, the whole member list (<see cref="Add"/>). Only the current members turn
/// it into the edge changes that change something (<see cref="Against"/>), so that adding a member
/// again or removing a non-member changes neither the group's version nor its lastModified (R-PAT-5, R-META-4).
/// </summary>
public sealed record MemberPlan(bool ReplacesAll, IReadOnlyList<string> Add, IReadOnlyList<string> Remove)
{
    public static MemberPlan Replacing(IReadOnlyList<string> members) => new(true, members, []);

    /// <summary>The users the plan names, whose membership decides what it changes (all members when it replaces them all).</summary>
    public IReadOnlyCollection<string> Named => Add.Concat(Remove).ToList();

    /// <param name="current">the group's members: all of them when <see cref="ReplacesAll"/>, else at least those <see cref="Named"/>.</param>
    public MembershipChange Against(IReadOnlyCollection<string> current) => new(
        Add.Except(current).ToList(),
        (ReplacesAll ? current.Except(Add) : Remove.Intersect(current)).ToList());

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
