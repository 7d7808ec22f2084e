using Hangfire;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Compliance.Web.Features.Notifications;

/// <summary>One email to one person, plain text and HTML (what the Hangfire job carries).</summary>
public sealed record EmailMessage(string To, string Subject, string Text, string Html);

/// <summary>The Hangfire job that sends one email through the configured SMTP server (MailKit); a failure throws and Hangfire retries.</summary>
public sealed class EmailSender(IOptions<SmtpOptions> options, ILogger<EmailSender> log)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        var smtp = options.Value;
        if (!smtp.Enabled)
        {
            log.LogWarning("Email '{Subject}' not sent: Notifications:Smtp is not configured", message.Subject);
            return;
        }

        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(smtp.FromName, smtp.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody();

        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security switch
        {
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        }, ct);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", ct);
        }

        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(quit: true, ct);
        log.LogInformation("Email '{Subject}' sent", message.Subject);
    }
}
