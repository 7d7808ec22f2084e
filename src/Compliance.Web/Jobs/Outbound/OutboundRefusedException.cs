namespace Compliance.Web.Jobs.Outbound;

/// <summary>
/// The outbound guard refused a request (scheme or destination address). An <see cref="HttpRequestException"/>, so
/// callers report it like an unreachable host; never retried (see <see cref="OutboundGuard.IsRefusal"/>).
/// </summary>
public sealed class OutboundRefusedException(string message) : HttpRequestException(HttpRequestError.ConnectionError, message);
