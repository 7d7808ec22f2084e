using System.Formats.Asn1;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using PdfSharp.Pdf.Signatures;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// The CMS signature of an attestation, shaped for PAdES baseline B-T rather than PDFsharp's default signer:
/// the signing certificate is bound by an ESS signing-certificate-v2 attribute, the chain is embedded
/// (so a verifier years later needs nothing but the file), there is no CMS signing-time (PAdES takes the
/// claimed time from the signature dictionary and the proven time from the timestamp), and with a
/// time-stamping authority configured the signature value carries an RFC 3161 signature-timestamp token.
/// The default signer asks the authority twice per document (once to size the placeholder) and uses a
/// new HttpClient without a timeout; this one reserves room for the token instead and asks once.
/// </summary>
public sealed class AttestationCmsSigner(AttestationCertificate certificate, AttestationTimestamping? timestamping) : IDigitalSigner
{
    /// <summary>id-aa-signatureTimeStampToken (RFC 3161 appendix A).</summary>
    internal static readonly Oid SignatureTimeStampOid = new("1.2.840.113549.1.9.16.2.14");

    /// <summary>id-aa-signingCertificateV2 (RFC 5035).</summary>
    private static readonly Oid SigningCertificateV2Oid = new("1.2.840.113549.1.9.16.2.47");

    /// <summary>Room kept for a timestamp token: a token with its authority's certificate and a short chain fits in 4–6 KB.</summary>
    private const int TimestampReserve = 12 * 1024;

    private int _size;

    /// <summary>
    /// When set, called once the document is written, instead of reading PDFsharp's byte range: it may correct the
    /// written file (<see cref="SignedPdfPatcher"/>) and returns the bytes to sign.
    /// </summary>
    public Func<byte[]>? ContentToSign { get; init; }

    public string CertificateName => certificate.Certificate.GetNameInfo(X509NameType.SimpleName, false);

    /// <summary>When the authority answered: the token's time and who vouched for it; null when no authority is configured.</summary>
    public AttestationTimestamp? Timestamp { get; private set; }

    public Task<int> GetSignatureSizeAsync()
    {
        if (_size == 0)
        {
            // An upper bound instead of a trial signature (a second private-key operation per document): the certificates,
            // the signature value, and 2 KB for the signer info, attributes and CMS structure.
            using var rsa = certificate.Certificate.GetRSAPublicKey();
            var signatureValue = rsa is null ? 256 : rsa.KeySize / 8;
            var certificates = certificate.Certificate.RawData.Length + certificate.Chain.Sum(c => c.RawData.Length);
            _size = certificates + signatureValue + 2048 + (timestamping is null ? 0 : TimestampReserve);
        }

        return Task.FromResult(_size);
    }

    public async Task<byte[]> GetSignatureAsync(Stream stream)
    {
        byte[] content;
        if (ContentToSign is not null)
        {
            content = ContentToSign();
        }
        else
        {
            content = new byte[stream.Length];
            stream.Position = 0;
            await stream.ReadExactlyAsync(content);
        }
        var cms = Sign(content);
        if (timestamping is not null)
        {
            var signerInfo = cms.SignerInfos[0];
            var token = await timestamping.RequestAsync(signerInfo.GetSignature());
            signerInfo.AddUnsignedAttribute(new AsnEncodedData(SignatureTimeStampOid, token.AsSignedCms().Encode()));
            Timestamp = AttestationTimestamp.From(token);
        }

        return cms.Encode();
    }

    private SignedCms Sign(byte[] content)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate.Certificate)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), // SHA-256
            // The chain is added explicitly below: WholeChain would also pull in whatever the server's stores hold.
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.Certificates.AddRange(certificate.Chain);
        signer.SignedAttributes.Add(new AsnEncodedData(SigningCertificateV2Oid, SigningCertificateV2(certificate.Certificate)));
        cms.ComputeSignature(signer, silent: true);
        return cms;
    }

    /// <summary>SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }, ESSCertIDv2 with the default SHA-256 hash.</summary>
    private static byte[] SigningCertificateV2(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteOctetString(SHA256.HashData(certificate.RawData));
        }

        return writer.Encode();
    }
}

/// <summary>A verified RFC 3161 token's time and the authority that signed it.</summary>
public sealed record AttestationTimestamp(DateTime Utc, string Authority)
{
    public static AttestationTimestamp From(Rfc3161TimestampToken token)
    {
        var signerCertificate = token.AsSignedCms().SignerInfos[0].Certificate;
        return new AttestationTimestamp(token.TokenInfo.Timestamp.UtcDateTime,
            signerCertificate?.GetNameInfo(X509NameType.SimpleName, false) ?? "an unnamed authority");
    }
}

/// <summary>Asks the configured time-stamping authority (<c>Attestations:TimestampUrl</c>) for an RFC 3161 token.</summary>
public sealed class AttestationTimestamping(HttpClient http, Uri authority)
{
    public Uri Authority { get; } = authority;

    /// <summary>The configured authority, or null when <c>Attestations:TimestampUrl</c> is empty.</summary>
    public static AttestationTimestamping? From(AttestationOptions options)
    {
        if (AuthorityOf(options.TimestampUrl) is not { } uri)
        {
            return null;
        }

        // One long-lived client (the service is a singleton); pooled connections are renewed so a changed DNS entry is seen.
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        return new AttestationTimestamping(new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.TimestampTimeoutSeconds) }, uri);
    }

    /// <summary>The configured authority's address; null when none is configured; throws when the setting is not an http(s) address.</summary>
    public static Uri? AuthorityOf(string? timestampUrl)
    {
        if (string.IsNullOrWhiteSpace(timestampUrl))
        {
            return null;
        }

        if (!Uri.TryCreate(timestampUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"Attestations:TimestampUrl '{timestampUrl}' is not an http(s) address.");
        }

        return uri;
    }

    /// <summary>A token over <paramref name="signatureValue"/>, checked against the request (hash, nonce) before it is used.</summary>
    public async Task<Rfc3161TimestampToken> RequestAsync(ReadOnlyMemory<byte> signatureValue)
    {
        var request = Rfc3161TimestampRequest.CreateFromData(signatureValue.Span, HashAlgorithmName.SHA256,
            nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        using var body = new ReadOnlyMemoryContent(request.Encode());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(Authority, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new AttestationTimestampException($"The time-stamping authority {Authority} did not answer: {e.Message}", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new AttestationTimestampException($"The time-stamping authority {Authority} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            var reply = await response.Content.ReadAsByteArrayAsync();
            try
            {
                // Checks status, message imprint and nonce, and that the token's signature verifies against its certificate.
                return request.ProcessResponse(reply, out _);
            }
            catch (CryptographicException e)
            {
                throw new AttestationTimestampException($"The time-stamping authority {Authority} sent a reply that is not a valid token for this request: {e.Message}", e);
            }
        }
    }
}

/// <summary>The configured time-stamping authority failed; the attestation is not issued (an untimestamped one would claim less than configured).</summary>
public sealed class AttestationTimestampException(string message, Exception? inner = null) : Exception(message, inner);
