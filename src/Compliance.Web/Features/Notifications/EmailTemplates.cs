using System.Net;
using System.Text;

namespace Compliance.Web.Features.Notifications;

/// <summary>
/// The emails' one layout, written once and rendered twice: plain text (readable as it is, in any client) and HTML
/// (the same words, encoded). A template is a title, an introduction, lines and a link.
/// </summary>
public static class EmailTemplates
{
    public static EmailMessage Render(string to, string subject, string intro, IReadOnlyList<string> lines, string linkText, string link, string why)
    {
        var text = new StringBuilder().Append(intro).Append("\n\n");
        foreach (var line in lines)
        {
            text.Append("  - ").Append(line).Append('\n');
        }

        text.Append('\n').Append(linkText).Append(": ").Append(link).Append("\n\n-- \n").Append(why)
            .Append("\nChange which emails you get: ").Append(PreferencesLink(link)).Append('\n');

        var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">")
            .Append("<h1 style=\"font-size:1.2em\">").Append(E(subject)).Append("</h1><p>").Append(E(intro)).Append("</p>");
        if (lines.Count > 0)
        {
            html.Append("<ul>");
            foreach (var line in lines)
            {
                html.Append("<li>").Append(E(line)).Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("<p><a href=\"").Append(E(link)).Append("\">").Append(E(linkText)).Append("</a></p><hr><p style=\"color:#555;font-size:.9em\">")
            .Append(E(why)).Append(" <a href=\"").Append(E(PreferencesLink(link))).Append("\">Change which emails you get</a>.</p></body></html>");
        return new EmailMessage(to, subject, text.ToString(), html.ToString());
    }

    /// <summary>The preferences page on the same app address as <paramref name="link"/>.</summary>
    private static string PreferencesLink(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) + NotificationPreferenceService.Route : NotificationPreferenceService.Route;

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
