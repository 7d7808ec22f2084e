namespace Compliance.Web.Shared;

/// <summary>
/// Exports and downloads carry inventory and customer data: no browser, proxy or shared cache may keep a copy
/// (ASVS 8.2.1). Every download endpoint calls this before writing its body.
/// </summary>
public static class NoStore
{
    public const string CacheControl = "no-store";

    public static void SetNoStore(this HttpResponse response)
    {
        response.Headers.CacheControl = CacheControl;
        response.Headers.Pragma = "no-cache";
    }
}
