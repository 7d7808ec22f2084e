using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Compliance.Web.Features.Notifications;

/// <summary>
/// Webhook secrets: generated here, shown once, stored only protected by ASP.NET Data Protection (whose key ring is
/// in the database, shared by every instance), unprotected only by the delivery job when it signs.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Compliance.Webhooks.Secret.v1");

    public static string Generate() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public byte[] Protect(string secret) => _protector.Protect(Encoding.UTF8.GetBytes(secret));

    public string Unprotect(byte[] protectedSecret) => Encoding.UTF8.GetString(_protector.Unprotect(protectedSecret));
}
