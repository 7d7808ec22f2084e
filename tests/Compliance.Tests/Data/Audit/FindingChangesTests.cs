using Compliance.Data.Audit;
using Compliance.Domain;

namespace Compliance.Tests.Data.Audit;

/// <summary>The event a check run leaves on the trail: written in one pass, read back whole, and older events still verify.</summary>
public sealed class FindingChangesTests
{
    private static readonly DateTime At = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>Written by the version-1 encoder (count and stamp hashed before the rows), before the streaming one replaced it.</summary>
    private const string Version1Event =
        """{"v":1,"count":2,"digest":"3af2f225d2a72aba3d405be1121d38bf638e011c03f66a280ca804334364b69e","seenAt":639079632000000000,"run":7,"rows":[[12,3,1,2,0,639079632000000000,639079632000000000,null,0,4,null,7],[5,2,0,1,2,639078768000000000,639079632000000000,639079632000000000,1,null,9,7]],"texts":["Restricted for defense","No approval"]}""";

    private static Finding Row(long id, string detail, FindingStatus status = FindingStatus.Open) => new()
    {
        Id = id, BindingId = (int)id + 100, Rule = FindingRule.Unapproved, Severity = Severity.High, Status = status,
        FirstSeen = At.AddDays(-1), LastSeen = At, ResolvedAt = status == FindingStatus.Resolved ? At : null,
        Detail = detail, ApprovalId = status == FindingStatus.Resolved ? 9 : null, LastCheckRunId = 7,
    };

    [Fact]
    public void An_event_written_before_the_streaming_encoder_still_matches_its_digest()
    {
        var (changes, count, digest) = FindingChanges.Decode(Version1Event);

        Assert.Equal(1, changes.Version);
        Assert.Equal(2, count);
        Assert.Equal(digest, changes.Digest());
        Assert.Equal(["Restricted for defense", "No approval"], changes.Rows.Select(r => r.Detail));
    }

    [Fact]
    public void A_changed_row_in_an_old_event_no_longer_matches_its_digest()
    {
        var (changes, _, digest) = FindingChanges.Decode(Version1Event.Replace("[12,3,1,2,0", "[12,3,1,1,0", StringComparison.Ordinal));

        Assert.NotEqual(digest, changes.Digest());
    }

    [Fact]
    public void Rows_streamed_in_id_order_decode_to_the_same_rows_and_digest()
    {
        using var encoder = new FindingChangesEncoder(At, 7, seen: null);
        var reused = new Finding();
        foreach (var (id, detail) in new[] { (3L, "No approval"), (8L, "Restricted"), (21L, "No approval") })
        {
            var row = Row(id, detail);
            reused.Id = row.Id; reused.BindingId = row.BindingId; reused.Rule = row.Rule; reused.Severity = row.Severity;
            reused.Status = row.Status; reused.FirstSeen = row.FirstSeen; reused.LastSeen = row.LastSeen; reused.Detail = row.Detail;
            reused.LastCheckRunId = row.LastCheckRunId;
            encoder.Add(reused); // the writer reuses one object: nothing may keep a reference to it
        }

        var json = encoder.Finish();
        var (changes, count, digest) = FindingChanges.Decode(json);

        Assert.Equal(FindingChanges.CurrentVersion, changes.Version);
        Assert.Equal(3, count);
        Assert.Equal([3L, 8L, 21L], changes.Rows.Select(r => r.Id));
        Assert.Equal(["No approval", "Restricted", "No approval"], changes.Rows.Select(r => r.Detail));
        Assert.Equal(digest, changes.Digest());
        Assert.Equal(json, changes.Encode());
    }

    [Fact]
    public void Rows_out_of_id_order_are_refused_by_the_encoder()
    {
        using var encoder = new FindingChangesEncoder(At, 7, seen: null);
        encoder.Add(Row(8, "x"));

        Assert.Throws<InvalidOperationException>(() => encoder.Add(Row(3, "y")));
    }

    [Fact]
    public void The_digest_covers_the_count_and_the_stamp_as_well_as_the_rows()
    {
        var rows = new[] { Row(1, "a"), Row(2, "b", FindingStatus.Resolved) };
        var digest = new FindingChanges { SeenAt = At, CheckRunId = 7, Rows = rows }.Digest();

        Assert.NotEqual(digest, new FindingChanges { SeenAt = At.AddTicks(1), CheckRunId = 7, Rows = rows }.Digest());
        Assert.NotEqual(digest, new FindingChanges { SeenAt = At, CheckRunId = 8, Rows = rows }.Digest());
        Assert.NotEqual(digest, new FindingChanges { SeenAt = At, CheckRunId = 7, Seen = [1], Rows = rows }.Digest());
        Assert.NotEqual(digest, new FindingChanges { SeenAt = At, CheckRunId = 7, Rows = rows[..1] }.Digest());
    }

    [Fact]
    public void A_stamp_over_no_ids_and_no_rows_is_empty()
    {
        using var encoder = new FindingChangesEncoder(At, null, seen: []);

        Assert.True(encoder.IsEmpty);
    }
}
