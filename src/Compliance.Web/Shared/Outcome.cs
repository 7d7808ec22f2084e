namespace Compliance.Web.Shared;

/// <summary>A field that is wrong and why, in words the person can act on.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// The outcome of a command: the saved value, or what is wrong (nothing was changed). <see cref="Forbidden"/> says the
/// caller may not do this at all (HTTP 403), <see cref="NotFound"/> that the thing does not exist for the caller (404).
/// </summary>
public sealed record Outcome<T>(T? Value, IReadOnlyList<FieldError> Errors, bool NotFound = false, bool Forbidden = false)
{
    public bool Succeeded => Errors.Count == 0 && !NotFound && !Forbidden;

    public static Outcome<T> Refused(string why) => new(default, [new FieldError("caller", why)], Forbidden: true);

    public static Outcome<T> Ok(T value) => new(value, []);

    public static Outcome<T> Invalid(params FieldError[] errors) => new(default, errors);

    public static Outcome<T> Missing(string what) => new(default, [new FieldError("id", what)], NotFound: true);

    /// <summary>Every problem in one sentence run, for a snackbar or a log line.</summary>
    public string Message => string.Join(" ", Errors.Select(e => e.Message));

    /// <summary>The problems by field, as a form shows them under each field.</summary>
    public Dictionary<string, string> ErrorsByField() =>
        Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => string.Join(" ", g.Select(e => e.Message)));
}
