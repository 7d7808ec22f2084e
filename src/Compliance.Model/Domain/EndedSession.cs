namespace Compliance.Domain;

/// <summary>
/// A signed-out session, remembered until its absolute end so a replayed cookie is refused by every instance that
/// reads this database (the session id is random; nothing else about the person is kept).
/// </summary>
public class EndedSession
{
    /// <summary>The session's random id (the cookie's <c>session_id</c> claim).</summary>
    public required string Id { get; set; }

    /// <summary>The session's absolute end: after it the cookie is dead anyway and the row can go.</summary>
    public DateTime Until { get; set; }
}
