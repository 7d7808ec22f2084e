namespace Compliance.Web.Features.Notifications;

/// <summary>Configuration section <c>Notifications:Smtp</c>. No <see cref="Host"/>: no email is sent.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary>The sender address, e.g. <c>compliance@agency.example.gov</c>.</summary>
    public string From { get; set; } = "";

    public string FromName { get; set; } = "AI Model Compliance";

    /// <summary><c>StartTls</c> (default: upgrade or fail), <c>SslOnConnect</c> (port 465), <c>StartTlsWhenAvailable</c>, or <c>None</c> (a local relay only).</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Credentials, from a secret store or environment variables (<c>Notifications__Smtp__Password</c>), never appsettings.json.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The app's public address, so links in emails are absolute (e.g. <c>https://compliance.agency.example.gov</c>).</summary>
    public string AppUrl { get; set; } = "";

    /// <summary>Cron (UTC) of the officers' daily digest.</summary>
    public string DigestSchedule { get; set; } = "0 6 * * *";

    public bool Enabled => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From);

    public string Link(string path) => AppUrl.TrimEnd('/') + path;
}

public enum SmtpSecurity
{
    StartTls,
    SslOnConnect,
    StartTlsWhenAvailable,
    None,
}
