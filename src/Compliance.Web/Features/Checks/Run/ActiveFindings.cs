using System.Data.Common;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// The active findings as they stand before a run, read once in the writer's transaction, so that a finding the run
/// sees unchanged costs no write, and the ones it never sees are the ones to resolve. Keyed by (binding, rule).
/// </summary>
internal sealed class ActiveFindings
{
    private const string Select =
        "SELECT \"BindingId\", \"Rule\", \"Severity\", \"RestrictionId\", \"ApprovalId\", \"Detail\" FROM \"Findings\" WHERE \"Status\" <> 2";

    private readonly Dictionary<long, Known> _known = [];

    /// <summary>An active finding as it stands in the table, and whether this run has seen it.</summary>
    private struct Known
    {
        public int Severity;
        public int? RestrictionId;
        public int? ApprovalId;
        public ulong DetailHash;
        public bool Seen;
    }

    public static long Key(int bindingId, int rule) => ((long)bindingId << 8) | (uint)rule;

    public static (int BindingId, int Rule) Split(long key) => ((int)(key >> 8), (int)(key & 0xFF));

    /// <summary>XxHash64 over the characters: 64 bits, stable, enough to notice a changed explanation.</summary>
    private static ulong Hash(string text) => XxHash64.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()));

    public static ActiveFindings Read(DbConnection connection, DbTransaction tx)
    {
        var found = new ActiveFindings();
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = Select;
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            found._known[Key(r.GetInt32(0), r.GetInt32(1))] = new Known
            {
                Severity = r.GetInt32(2),
                RestrictionId = r.IsDBNull(3) ? null : r.GetInt32(3),
                ApprovalId = r.IsDBNull(4) ? null : r.GetInt32(4),
                DetailHash = Hash(r.GetString(5)),
            };
        }

        return found;
    }

    /// <summary>How many were active before the run.</summary>
    public int Count => _known.Count;

    /// <summary>Marks the finding seen; true when it stands exactly so already (nothing to write).</summary>
    public bool SeenUnchanged(in FindingRow f, string clippedDetail)
    {
        ref var known = ref CollectionsMarshal.GetValueRefOrNullRef(_known, Key(f.BindingId, (int)f.Rule));
        if (Unsafe.IsNullRef(ref known))
        {
            return false;
        }

        known.Seen = true;
        return known.Severity == (int)f.Severity && known.RestrictionId == f.RestrictionId && known.ApprovalId == f.ApprovalId
            && known.DetailHash == Hash(clippedDetail);
    }

    /// <summary>The keys of the active findings this run did not see: the ones to resolve.</summary>
    public IEnumerable<long> Unseen() => _known.Where(e => !e.Value.Seen).Select(e => e.Key);
}
