using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace Compliance.Web.Features.Attestations;

/// <summary>What the signature inside an issued PDF says: who signed, with which chain, and when an authority saw it.</summary>
public sealed record AttestationSignatureFacts(
    string Signer, string Issuer, DateTime ValidFrom, DateTime ValidUntil, bool SelfSigned, int ChainLength, bool ChainComplete,
    bool TrustedHere, AttestationTimestamp? Timestamp);

/// <summary>
/// Reads the CMS signature back out of a signed attestation for <c>/verify</c>, so the page shows what the file
/// itself proves (no extra column: the stored PDF is the record). The last /ByteRange names the gap that holds
/// the signature.
/// </summary>
public static partial class AttestationSignatureReader
{
    [GeneratedRegex(@"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", RegexOptions.RightToLeft)]
    private static partial Regex ByteRange();

    /// <summary>The signature's facts, or null when the file carries no readable signature.</summary>
    public static AttestationSignatureFacts? Read(byte[] pdf, DateTime now)
    {
        var cms = SignatureOf(pdf);
        if (cms?.SignerInfos.Count is not > 0 || cms.SignerInfos[0].Certificate is not { } signer)
        {
            return null;
        }

        AttestationTimestamp? timestamp = null;
        foreach (var attribute in cms.SignerInfos[0].UnsignedAttributes)
        {
            if (attribute.Oid.Value == AttestationCmsSigner.SignatureTimeStampOid.Value
                && Rfc3161TimestampToken.TryDecode(attribute.Values[0].RawData, out var token, out _)
                && token.VerifySignatureForSignerInfo(cms.SignerInfos[0], out _))
            {
                timestamp = AttestationTimestamp.From(token);
            }
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.ExtraStore.AddRange(cms.Certificates);
        // Revocation is not asked for: this page must answer without reaching the issuer's servers.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = timestamp?.Utc ?? now;
        var trusted = chain.Build(signer);
        var root = chain.ChainElements[^1].Certificate;
        var complete = root.SubjectName.RawData.AsSpan().SequenceEqual(root.IssuerName.RawData);
        return new AttestationSignatureFacts(
            signer.GetNameInfo(X509NameType.SimpleName, false), signer.GetNameInfo(X509NameType.SimpleName, forIssuer: true),
            signer.NotBefore.ToUniversalTime(), signer.NotAfter.ToUniversalTime(),
            signer.SubjectName.RawData.AsSpan().SequenceEqual(signer.IssuerName.RawData), chain.ChainElements.Count, complete, trusted, timestamp);
    }

    /// <summary>The decoded CMS of the last signature in <paramref name="pdf"/>, or null.</summary>
    public static SignedCms? SignatureOf(byte[] pdf)
    {
        // The signature dictionary is written last, near the end of the file; read the tail only.
        var tail = Encoding.Latin1.GetString(pdf, Math.Max(0, pdf.Length - 256 * 1024), Math.Min(pdf.Length, 256 * 1024));
        var match = ByteRange().Match(tail);
        if (!match.Success)
        {
            return null;
        }

        var start = long.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        var end = long.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (start < 0 || end > pdf.Length || end - start < 2 || pdf[start] != '<' || pdf[end - 1] != '>')
        {
            return null;
        }

        try
        {
            var der = Convert.FromHexString(Encoding.ASCII.GetString(pdf, (int)start + 1, (int)(end - start - 2)));
            // The placeholder is padded with zeros after the signature: decode the first DER value only.
            AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.BER, out _, out _, out var length);
            var cms = new SignedCms();
            cms.Decode(der.AsSpan(0, length));
            return cms;
        }
        catch (Exception e) when (e is FormatException or CryptographicException or AsnContentException)
        {
            return null;
        }
    }
}
