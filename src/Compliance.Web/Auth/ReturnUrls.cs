namespace Compliance.Web.Auth;

/// <summary>
/// Where sign-in may send the browser back to: a path on this site, and only one that every parser agrees is
/// one. Browsers strip tabs and line breaks from URLs and read <c>\</c> as <c>/</c>, so <c>/\t/evil.example</c>
/// and <c>/\evil.example</c> are protocol-relative to them although they start with one slash; a proxy or
/// framework that decodes once turns <c>/%09/evil</c> or <c>/%2F/evil</c> into the same. Refused: anything not
/// starting with exactly one <c>/</c>, any backslash, any control or whitespace character, and the same again
/// after one percent-decoding (ASVS 5.1.5).
/// </summary>
public static class ReturnUrls
{
    public static bool IsLocal(string? url)
    {
        if (!IsPlainLocalPath(url))
        {
            return false;
        }

        // The path once decoded must still be a plain local path; the query may hold encoded spaces and URLs (the provider's own authorize request does).
        var end = url!.IndexOfAny(['?', '#']);
        var path = end < 0 ? url : url[..end];
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(path);
        }
        catch (UriFormatException)
        {
            return false;
        }

        return IsPlainLocalPath(decoded) && Uri.TryCreate(url, UriKind.Relative, out _);
    }

    private static bool IsPlainLocalPath(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 4096 || url[0] != '/')
        {
            return false;
        }

        foreach (var c in url)
        {
            if (c == '\\' || char.IsControl(c) || char.IsWhiteSpace(c) || c is '\u00A0' or '\uFEFF' or '\u200B')
            {
                return false;
            }
        }

        return url.Length == 1 || url[1] != '/';
    }
}
