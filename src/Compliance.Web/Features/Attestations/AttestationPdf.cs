using System.Globalization;
using Compliance.Domain;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

using Compliance.Web.Shared;
using Compliance.Web.Features.Checks;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// Renders an attestation from its snapshot alone: cover with statement, result, key facts, QR code and
/// summary by impact level; then tables (headers repeated on every page) for workloads and bindings,
/// findings, waivers, transition plans and the approvals relied on; a footer with the verification code,
/// the snapshot's SHA-256 and "Page X of Y" on every page. Tagged for PDF/UA (headings, paragraphs, tables with header
/// cells, the QR code as a figure with alternative text; see <see cref="PdfPageFlow"/>). Fonts, brushes and pens are created once per
/// process; text widths come from a per-font character table, so rows cost no allocations beyond their strings.
/// </summary>
public static class AttestationPdf
{
    public const string Creator = "AI Model Compliance";

    private const double PageWidth = PdfPageFlow.PageWidth;
    private const double PageHeight = PdfPageFlow.PageHeight;
    private const double Left = PdfPageFlow.Left;
    private const double Right = PdfPageFlow.Right;
    private const double ContentWidth = PdfPageFlow.ContentWidth;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    static AttestationPdf() => LiberationSansFontResolver.Install();

    private static class Ink
    {
        public static readonly XColor NavyColor = XColor.FromArgb(0x1F, 0x3A, 0x5F);
        public static readonly XSolidBrush Navy = new(NavyColor);
        public static readonly XSolidBrush Text = new(XColor.FromArgb(0x21, 0x25, 0x29));
        public static readonly XSolidBrush Muted = new(XColor.FromArgb(0x5F, 0x67, 0x70));
        public static readonly XSolidBrush White = new(XColors.White);
        public static readonly XSolidBrush Band = new(XColor.FromArgb(0xE8, 0xED, 0xF3));
        public static readonly XSolidBrush Stripe = new(XColor.FromArgb(0xF7, 0xF8, 0xFA));
        public static readonly XSolidBrush Green = new(XColor.FromArgb(0x1B, 0x6E, 0x3A));
        public static readonly XSolidBrush GreenTint = new(XColor.FromArgb(0xE6, 0xF2, 0xEA));
        public static readonly XSolidBrush Amber = new(XColor.FromArgb(0x9A, 0x5B, 0x00));
        public static readonly XSolidBrush AmberTint = new(XColor.FromArgb(0xFD, 0xF3, 0xE1));
        public static readonly XSolidBrush Red = new(XColor.FromArgb(0xA8, 0x1E, 0x1E));
        public static readonly XSolidBrush RedTint = new(XColor.FromArgb(0xFB, 0xE9, 0xE9));
        public static readonly XSolidBrush Black = new(XColors.Black);
        public static readonly XPen Rule = new(XColor.FromArgb(0xC9, 0xD1, 0xDB), 0.5);
        public static readonly XPen NavyRule = new(NavyColor, 1.2);
        public static readonly XPen AmberRule = new(XColor.FromArgb(0x9A, 0x5B, 0x00), 1);
    }

    private static class Type
    {
        private static readonly XPdfFontOptions Embed = new(PdfFontEncoding.Unicode, PdfFontEmbedding.TryComputeSubset);
        public static readonly XFont Title = new(LiberationSansFontResolver.Family, 21, XFontStyleEx.Bold, Embed);
        public static readonly XFont Heading = new(LiberationSansFontResolver.Family, 13, XFontStyleEx.Bold, Embed);
        public static readonly XFont Subheading = new(LiberationSansFontResolver.Family, 10.5, XFontStyleEx.Bold, Embed);
        public static readonly XFont Body = new(LiberationSansFontResolver.Family, 9.5, XFontStyleEx.Regular, Embed);
        public static readonly XFont BodyBold = new(LiberationSansFontResolver.Family, 9.5, XFontStyleEx.Bold, Embed);
        public static readonly XFont Italic = new(LiberationSansFontResolver.Family, 9.5, XFontStyleEx.Italic, Embed);
        public static readonly XFont Cell = new(LiberationSansFontResolver.Family, 8, XFontStyleEx.Regular, Embed);
        public static readonly XFont CellBold = new(LiberationSansFontResolver.Family, 8, XFontStyleEx.Bold, Embed);
        public static readonly XFont CellSmall = new(LiberationSansFontResolver.Family, 7, XFontStyleEx.Regular, Embed);
        public static readonly XFont Footer = new(LiberationSansFontResolver.Family, 6.8, XFontStyleEx.Regular, Embed);
        public static readonly XFont FooterBold = new(LiberationSansFontResolver.Family, 6.8, XFontStyleEx.Bold, Embed);
        public static readonly XFont Result = new(LiberationSansFontResolver.Family, 15, XFontStyleEx.Bold, Embed);
    }

    /// <summary>Renders the unsigned document; sign and save it with <see cref="AttestationSigner"/>.</summary>
    /// <param name="timestampAuthority">The authority the signature will be timestamped by; null: the PDF says its signing time is the server's clock.</param>
    public static PdfDocument Render(AttestationSnapshot snapshot, string snapshotSha256, string verifyUrl, bool developmentCopy, Uri? timestampAuthority = null) =>
        Render(snapshot, snapshotSha256, verifyUrl, developmentCopy, timestampAuthority, tagged: true);

    /// <param name="tagged">False only for the benchmark's control, which measures what tagging costs.</param>
    internal static PdfDocument Render(AttestationSnapshot snapshot, string snapshotSha256, string verifyUrl, bool developmentCopy, Uri? timestampAuthority,
        bool tagged)
    {
        var document = new PdfDocument();
        document.Info.Title = $"Attestation of AI model compliance — {snapshot.Customer.Name}";
        document.Info.Author = snapshot.Issuer;
        document.Info.Subject = $"AI model compliance of {snapshot.Customer.Name} as of {Stamp(snapshot.AsOf)}; verification code {snapshot.VerificationCode}";
        document.Info.Keywords = $"attestation, AI model compliance, {snapshot.Customer.Code}, {snapshot.VerificationCode}, snapshot-sha256:{snapshotSha256}";
        document.Info.Creator = Creator;
        document.Info.CreationDate = snapshot.AsOf;
        document.PageLayout = PdfPageLayout.SinglePage;
        // A reader's window shows the title, not the file name (PDF/UA asks for it; so does anyone with many attestations open).
        document.ViewerPreferences.DisplayDocTitle = true;

        // PDF/UA: tagged (MarkInfo, structure tree, every piece of content a structure element or an artifact).
        // Pagination first: the footer's "Page X of Y" is drawn as each page opens (see PdfPageFlow).
        var counting = new Writer(null, snapshot, snapshotSha256, verifyUrl, developmentCopy, totalPages: 0);
        counting.Write(timestampAuthority);
        var writer = new Writer(document, snapshot, snapshotSha256, verifyUrl, developmentCopy, counting.Pages, tagged);
        writer.Write(timestampAuthority);
        if (writer.Pages != counting.Pages)
        {
            throw new InvalidOperationException($"The counting pass found {counting.Pages} pages, the drawing pass {writer.Pages}.");
        }

        // The signature widget lives on the first page; PDF/UA wants annotations visited in structure order.
        document.Pages[0].Elements.SetName("/Tabs", "/S");
        return document;
    }

    private static string Stamp(DateTime utc) => utc.ToString("d MMM yyyy, HH:mm 'UTC'", Invariant);

    private static string Day(DateTime utc) => utc.ToString("d MMM yyyy", Invariant);

    private static string Label(AttestationResult result) => result switch
    {
        AttestationResult.Compliant => "Compliant",
        AttestationResult.CompliantWithWaivers => "Compliant with waivers",
        AttestationResult.NotEvaluated => "Not evaluated",
        _ => "Not compliant",
    };

    private static string ShortLabel(AttestationResult result) =>
        result == AttestationResult.CompliantWithWaivers ? "With waivers" : Label(result);

    private static XSolidBrush Colour(AttestationResult result) => result switch
    {
        AttestationResult.Compliant => Ink.Green,
        AttestationResult.CompliantWithWaivers => Ink.Amber,
        AttestationResult.NotEvaluated => Ink.Muted,
        _ => Ink.Red,
    };

    private static XSolidBrush Tint(AttestationResult result) => result switch
    {
        AttestationResult.Compliant => Ink.GreenTint,
        AttestationResult.CompliantWithWaivers => Ink.AmberTint,
        AttestationResult.NotEvaluated => Ink.Band,
        _ => Ink.RedTint,
    };

    private static string Level(ImpactLevel level) => level == ImpactLevel.None ? "None" : level.ToString();

    private static string Categories(IReadOnlyList<DataCategories> categories) =>
        categories.Count == 0 ? "no sensitive data categories" : string.Join(", ", categories.Select(Labels.Category));


    private static string Words(string pascal)
    {
        var chars = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]) && !char.IsUpper(pascal[i - 1]))
            {
                chars.Append(' ').Append(char.ToLowerInvariant(pascal[i]));
            }
            else
            {
                chars.Append(pascal[i]);
            }
        }

        return chars.ToString();
    }

    /// <summary>The attestation's content, placed by <see cref="PdfPageFlow"/> (pages, running header, tables).</summary>
    private sealed class Writer(PdfDocument? document, AttestationSnapshot snapshot, string snapshotSha256, string verifyUrl, bool developmentCopy,
        int totalPages, bool tagged = true) : PdfPageFlow(document, TableStyle, tagged)
    {
        // Here, not in AttestationPdf: field initialisers run before its static constructor installs the font resolver.
        private static readonly PdfTableStyle TableStyle = new(
            Ink.Navy, Type.CellBold, Ink.White, Ink.Band, Type.CellBold, Ink.Navy, Type.CellSmall, Ink.Text, Ink.Stripe, Ink.Rule);

        public void Write(Uri? timestampAuthority)
        {
            Cover(snapshot, verifyUrl, developmentCopy, timestampAuthority);
            Workloads(snapshot);
            Findings(snapshot);
            Waivers(snapshot);
            TransitionPlans(snapshot);
            Approvals(snapshot);
            Finish();
        }

        protected override void PageFurniture(XGraphics g, int page, bool runningHeader)
        {
            if (runningHeader)
            {
                g.DrawString("Attestation of AI model compliance", Type.FooterBold, Ink.Navy, Left, 38, XStringFormats.TopLeft);
                g.DrawString($"{snapshot.Customer.Name}  ·  as of {Stamp(snapshot.AsOf)}", Type.Footer, Ink.Muted,
                    new XRect(Left, 38, ContentWidth, 10), XStringFormats.TopRight);
                g.DrawLine(Ink.Rule, Left, 50, Right, 50);
            }

            var y = PageHeight - 46;
            g.DrawLine(Ink.Rule, Left, y, Right, y);
            y += 5;
            g.DrawString("Verification code ", Type.Footer, Ink.Muted, Left, y, XStringFormats.TopLeft);
            var x = Left + PdfText.Width("Verification code ", Type.Footer);
            g.DrawString(snapshot.VerificationCode, Type.FooterBold, Ink.Text, x, y, XStringFormats.TopLeft);
            x += PdfText.Width(snapshot.VerificationCode, Type.FooterBold);
            g.DrawString($"  ·  verify at {verifyUrl}", Type.Footer, Ink.Muted, x, y, XStringFormats.TopLeft);
            g.DrawString($"Page {page.ToString(Invariant)} of {totalPages.ToString(Invariant)}", Type.FooterBold, Ink.Text,
                new XRect(Left, y, ContentWidth, 10), XStringFormats.TopRight);
            y += 9.5;
            g.DrawString($"Snapshot SHA-256 {snapshotSha256}", Type.Footer, Ink.Muted, Left, y, XStringFormats.TopLeft);
            if (developmentCopy)
            {
                g.DrawString("DEVELOPMENT COPY", Type.FooterBold, Ink.Amber, new XRect(Left, y, ContentWidth, 10), XStringFormats.TopRight);
            }
        }

        // ---------- Cover ----------

        public void Cover(AttestationSnapshot s, string verifyUrl, bool developmentCopy, Uri? timestampAuthority)
        {
            NewPage(runningHeader: false);
            Y = 44;
            var g = Gfx;
            // The masthead repeats the title below it: decoration, not content.
            BeginArtifact();
            g.DrawRectangle(Ink.Navy, 0, 0, PageWidth, 8);
            g.DrawString("AI MODEL COMPLIANCE", Type.CellBold, Ink.Navy, Left, Y, XStringFormats.TopLeft);
            g.DrawString("Compliance attestation", Type.Cell, Ink.Muted, new XRect(Left, Y, ContentWidth, 12), XStringFormats.TopRight);
            Y += 14;
            g.DrawLine(Ink.NavyRule, Left, Y, Right, Y);
            Y += 14;
            EndArtifact();

            // The title is read first (H1), though a development copy's warning is drawn above it.
            var titleY = developmentCopy ? Y + 42 : Y;
            BeginBlock(Tag.H1);
            g.DrawString("Attestation of AI Model Compliance", Type.Title, Ink.Navy, Left, titleY, XStringFormats.TopLeft);
            End();
            if (developmentCopy)
            {
                var box = new XRect(Left, Y, ContentWidth, 30);
                BeginArtifact();
                g.DrawRectangle(Ink.AmberRule, Ink.AmberTint, box);
                EndArtifact();
                BeginBlock(Tag.P);
                g.DrawString("DEVELOPMENT COPY — signed with a self-signed development certificate", Type.BodyBold, Ink.Amber,
                    new XRect(box.X, box.Y + 5, box.Width, 12), XStringFormats.TopCenter);
                g.DrawString("Not issued under the organisation's certificate; not valid as evidence of compliance.", Type.Cell, Ink.Amber,
                    new XRect(box.X, box.Y + 17, box.Width, 10), XStringFormats.TopCenter);
                End();
            }

            Y = titleY + 30;
            Paragraph(s.Customer.Name, Type.Heading, Ink.Text, 18);
            Paragraph($"Customer code {s.Customer.Code}  ·  {s.Customer.Sector} sector  ·  as of {Stamp(s.AsOf)}", Type.Body, Ink.Muted, 24);

            // Overall result, in colour.
            var resultBox = new XRect(Left, Y, ContentWidth, 46);
            BeginArtifact();
            g.DrawRectangle(Tint(s.Result), resultBox);
            g.DrawRectangle(Colour(s.Result), Left, Y, 5, resultBox.Height);
            EndArtifact();
            BeginBlock(Tag.P);
            g.DrawString("OVERALL RESULT", Type.CellBold, Ink.Muted, Left + 16, Y + 8, XStringFormats.TopLeft);
            g.DrawString(Label(s.Result).ToUpperInvariant(), Type.Result, Colour(s.Result), Left + 16, Y + 21, XStringFormats.TopLeft);
            End();
            var bindings = s.CountBindings();
            var notCompliant = s.Workloads.Sum(w => w.Bindings.Count(b => b.Status == AttestationResult.NotCompliant));
            var waived = s.Workloads.Sum(w => w.Bindings.Count(b => b.Status == AttestationResult.CompliantWithWaivers));
            var line = s.Result == AttestationResult.NotEvaluated
                ? $"{bindings} model bindings across {s.Workloads.Count} workloads  ·  no check run had completed at the as-of time"
                : $"{bindings} model bindings across {s.Workloads.Count} workloads  ·  {notCompliant} not compliant  ·  {waived} compliant with waivers";
            if (s.Evaluation is { } evaluation)
            {
                BeginBlock(Tag.P);
                g.DrawString(evaluation.Text, Type.Cell, Ink.Text, new XRect(Left, Y + 8, ContentWidth - 14, 12), XStringFormats.TopRight);
                End();
            }

            BeginBlock(Tag.P);
            g.DrawString(line, Type.Cell, Ink.Text, new XRect(Left, Y + 25, ContentWidth - 14, 12), XStringFormats.TopRight);
            End();
            Y += resultBox.Height + 18;

            // Statement.
            BeginBlock(Tag.H2);
            g.DrawString("Statement", Type.Subheading, Ink.Navy, Left, Y, XStringFormats.TopLeft);
            End();
            Y += 16;
            foreach (var paragraph in s.Statement.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                BeginBlock(Tag.P);
                foreach (var l in PdfText.Wrap(paragraph, Type.Body, ContentWidth, maxLines: 14))
                {
                    g.DrawString(l, Type.Body, Ink.Text, Left, Y, XStringFormats.TopLeft);
                    Y += 13;
                }

                End();
                Y += 4;
            }

            Y += 10;

            // Key facts beside the QR code.
            const double qrSize = 104;
            var factsTop = Y;
            BeginBlock(Tag.H2);
            g.DrawString("Particulars", Type.Subheading, Ink.Navy, Left, Y, XStringFormats.TopLeft);
            End();
            Y += 17;
            // Schema 3 decides every status at issue; the last check run stays as evidence of the recurring checks.
            var checkRun = s.CheckRun is { } run
                ? $"Check run #{run.Id}, finished {(run.FinishedAt is { } f ? Stamp(f) : "—")} ({run.BindingsEvaluated:N0} bindings evaluated)"
                    + (s.Evaluation is null ? "" : "; statuses are from the evaluation at issue")
                : s.Evaluation is null ? "No completed check run: statuses reflect the findings recorded" : "No completed check run yet";
            (string, string)[] facts =
            [
                ("Customer", $"{s.Customer.Name} ({s.Customer.Code})"),
                ("Sector", s.Customer.Sector.ToString()),
                ("As of", Stamp(s.AsOf)),
                ("Issued by", s.Issuer),
                .. s.Evaluation is { } e ? [("Evaluation", $"{e.Text} ({e.BindingsEvaluated:N0} bindings)")] : Array.Empty<(string, string)>(),
                ("Evidence", checkRun),
                ("Verification code", s.VerificationCode),
                ("Verify at", verifyUrl),
                ("Audit trail", s.AuditHead is { } head ? $"event #{head.EventId}, hash {head.Hash}" : "no audit event recorded yet"),
            ];
            const double labelWidth = 92;
            var valueWidth = ContentWidth - labelWidth - qrSize - 20;
            // A two-column table: each row's label is its header (TH, scope Row).
            Begin(Tag.Table);
            foreach (var (label, value) in facts)
            {
                Begin(Tag.TR);
                Begin(Tag.TH);
                Scope("Row");
                g.DrawString(label, Type.Cell, Ink.Muted, Left, Y, XStringFormats.TopLeft);
                End();
                Begin(Tag.TD);
                foreach (var l in PdfText.Wrap(value, label == "Verification code" ? Type.CellBold : Type.Cell, valueWidth, 3))
                {
                    g.DrawString(l, label == "Verification code" ? Type.CellBold : Type.Cell, Ink.Text, Left + labelWidth, Y, XStringFormats.TopLeft);
                    Y += 11;
                }

                End();
                End();
                Y += 2;
                BeginArtifact();
                g.DrawLine(Ink.Rule, Left, Y - 1.5, Left + labelWidth + valueWidth, Y - 1.5);
                EndArtifact();
                Y += 1.5;
            }

            End();
            var qr = new XRect(Right - qrSize, factsTop + 14, qrSize, qrSize);
            BeginFigure($"QR code linking to {verifyUrl}, where this attestation can be verified", qr);
            QrCode(g, verifyUrl, qr.X, qr.Y, qrSize);
            EndFigure();
            BeginBlock(Tag.P);
            g.DrawString("Scan to verify", Type.CellSmall, Ink.Muted, new XRect(Right - qrSize, factsTop + 14 + qrSize + 2, qrSize, 9), XStringFormats.TopCenter);
            End();
            Y = Math.Max(Y, factsTop + qrSize + 30) + 4;
            var signingTime = timestampAuthority is null
                ? "Its signing time is this server's own clock: no time-stamping authority was configured, so nothing independent proves when it was signed. "
                : $"Its signing time is certified by the time-stamping authority {timestampAuthority.Host} (an RFC 3161 token inside the signature), "
                    + "which proves when it was signed even after the signing certificate expires. ";
            var how = "This document is digitally signed (CAdES, SHA-256, the signer's certificate chain embedded); a PDF reader shows the signature "
                + "and whether the file changed since signing. " + signingTime
                + $"Anyone holding it can confirm it is authentic and still current at {verifyUrl}, or by uploading the file there: "
                + "its SHA-256 is compared with the one recorded when it was issued.";
            BeginBlock(Tag.P);
            foreach (var l in PdfText.Wrap(how, Type.CellSmall, ContentWidth, 6))
            {
                g.DrawString(l, Type.CellSmall, Ink.Muted, Left, Y, XStringFormats.TopLeft);
                Y += 9;
            }

            End();

            Y += 14;

            // Summary by impact level.
            Ensure(40 + 16 * (s.Summary.Count + 1));
            Heading("Summary by impact level", numbered: false);
            Table(
            [
                new("Impact level", 80), new("Workloads", 60, true), new("Bindings", 60, true), new("Compliant", 70, true),
                new("With waivers", 75, true), new("Not compliant", 75, true), new("Open findings", ContentWidth - 420, true),
            ]);
            foreach (var level in s.Summary)
            {
                Row(
                [
                    [new(Level(level.ImpactLevel), Type.CellBold, Ink.Text)],
                    [new(level.Workloads.ToString(Invariant), Type.Cell, Ink.Text)],
                    [new(level.Bindings.ToString(Invariant), Type.Cell, Ink.Text)],
                    [new(level.Compliant.ToString(Invariant), Type.Cell, Ink.Green)],
                    [new(level.CompliantWithWaivers.ToString(Invariant), Type.Cell, level.CompliantWithWaivers > 0 ? Ink.Amber : Ink.Text)],
                    [new(level.NotCompliant.ToString(Invariant), level.NotCompliant > 0 ? Type.CellBold : Type.Cell, level.NotCompliant > 0 ? Ink.Red : Ink.Text)],
                    [new(level.OpenFindings.ToString(Invariant), Type.Cell, Ink.Text)],
                ]);
            }

            if (s.Summary.Count == 0)
            {
                Note("The customer has no workloads recorded.");
            }

            Y += 6;
            Note("Compliant: the binding has no open finding other than a warning. Compliant with waivers: every failing rule is accepted by a "
                + "waiver in force (section 3). Not compliant: at least one open finding that is not a warning (section 2).");
        }

        private static void QrCode(XGraphics g, string url, double x, double y, double size)
        {
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
            var matrix = data.ModuleMatrix;
            var modules = matrix.Count;
            var cell = size / modules;
            g.DrawRectangle(Ink.White, x, y, size, size);
            for (var row = 0; row < modules; row++)
            {
                var bits = matrix[row];
                var col = 0;
                while (col < modules)
                {
                    if (!bits[col])
                    {
                        col++;
                        continue;
                    }

                    var start = col;
                    while (col < modules && bits[col])
                    {
                        col++;
                    }

                    // Runs of dark modules as one rectangle, slightly overlapping so no hairlines show between rows.
                    g.DrawRectangle(Ink.Black, x + start * cell, y + row * cell, (col - start) * cell, cell + 0.05);
                }
            }
        }

        // ---------- Sections ----------

        private int _section;

        private void Heading(string title, bool numbered = true)
        {
            // A heading never ends a page: keep room for its note, the table header and a first row.
            Ensure(120);
            if (Y > Top + 1)
            {
                Y += 10;
            }

            var text = numbered ? $"{++_section}. {title}" : title;
            BeginBlock(Tag.H2);
            Gfx.DrawString(text, Type.Heading, Ink.Navy, Left, Y, XStringFormats.TopLeft);
            End();
            Y += 20;
        }

        private void Note(string text)
        {
            // A note is one paragraph and never split across pages.
            var lines = PdfText.Wrap(text, Type.Italic, ContentWidth, 8);
            Ensure(13 * lines.Count);
            BeginBlock(Tag.P);
            foreach (var l in lines)
            {
                Gfx.DrawString(l, Type.Italic, Ink.Muted, Left, Y, XStringFormats.TopLeft);
                Y += 13;
            }

            End();
            Y += 4;
        }

        /// <summary>One line of text as a paragraph, <paramref name="advance"/> points tall.</summary>
        private void Paragraph(string text, XFont font, XBrush brush, double advance)
        {
            BeginBlock(Tag.P);
            Gfx.DrawString(text, font, brush, Left, Y, XStringFormats.TopLeft);
            End();
            Y += advance;
        }

        public void Workloads(AttestationSnapshot s)
        {
            NewPage();
            Heading("Workloads and model bindings");
            Note("Every workload of the customer with each model binding in force at the as-of time, its status and the rules it breaks. "
                + "A binding is compliant when it has no open finding other than a warning.");
            Table(
            [
                new("Model and host model id", 195), new("Hosting · region", 104), new("Usage", 58), new("Lifecycle", 48),
                new("Status", ContentWidth - 405),
            ]);
            foreach (var w in s.Workloads)
            {
                var band = $"{w.Name}";
                var detail = $"{Level(w.ImpactLevel)}  ·  {Categories(w.DataCategories)}  ·  {w.Environment}  ·  owner {w.Owner}";
                var rows = w.Bindings.Count == 0 ? 1 : 1 + Math.Min(1, w.Bindings.Count);
                BandRow(band, detail, minFollowing: rows * 22);
                if (w.Bindings.Count == 0)
                {
                    Row([[new("No model binding in force.", Type.Cell, Ink.Muted)], [], [], [], []]);
                    continue;
                }

                foreach (var b in w.Bindings)
                {
                    var findings = b.Findings.Count == 0
                        ? (Text?)null
                        : new Text(string.Join("; ", b.Findings.Select(f => f.Status == FindingStatus.Waived ? $"{Words(f.Rule.ToString())} (waived)" : Words(f.Rule.ToString()))),
                            Type.CellSmall, Ink.Muted);
                    Text[] status = findings is { } ft
                        ? [new(ShortLabel(b.Status), Type.CellBold, Colour(b.Status)), ft]
                        : [new(ShortLabel(b.Status), Type.CellBold, Colour(b.Status))];
                    Row(
                    [
                        [new(b.Model.DisplayName, Type.CellBold, Ink.Text), new(b.Model.HostModelId, Type.CellSmall, Ink.Muted)],
                        [new(b.Model.Hosting, Type.Cell, Ink.Text), new(b.Model.Region, Type.CellSmall, Ink.Muted)],
                        [new(Words(b.Usage.ToString()), Type.Cell, Ink.Text)],
                        [new(b.Model.Lifecycle.ToString(), Type.Cell, b.Model.Lifecycle == ModelLifecycle.Active ? Ink.Text : Ink.Amber)],
                        status,
                    ]);
                }
            }
        }

        public void Findings(AttestationSnapshot s)
        {
            Heading("Open and waived findings");
            var rows = s.Workloads.SelectMany(w => w.Bindings.SelectMany(b => b.Findings.Select(f => (w, b, f)))).ToList();
            if (rows.Count == 0)
            {
                Note("No binding has an open or waived finding.");
                return;
            }

            Note(s.Evaluation is { } e
                ? $"Each rule a binding breaks or warning it carries, from the evaluation rule ({e.Text}). Waived findings are accepted by a waiver in force (section 3); a first-seen date of \u2014 means no check run had recorded it yet."
                : "Each rule a binding breaks, as the check run recorded it. Waived findings are accepted by a waiver in force (section 3).");
            Table(
            [
                new("Workload · model", 172), new("Rule", 72), new("Severity", 42), new("Status", 38), new("Detail", ContentWidth - 382),
                new("First seen", 58),
            ]);
            foreach (var (w, b, f) in rows)
            {
                var severityBrush = f.Severity >= Severity.High ? Ink.Red : f.Severity == Severity.Warning ? Ink.Muted : Ink.Amber;
                Row(
                [
                    [new(w.Name, Type.CellBold, Ink.Text), new(b.Model.HostModelId, Type.CellSmall, Ink.Muted)],
                    [new(Words(f.Rule.ToString()), Type.Cell, Ink.Text)],
                    [new(f.Severity.ToString(), Type.CellBold, severityBrush)],
                    [new(f.Status.ToString(), Type.Cell, f.Status == FindingStatus.Waived ? Ink.Amber : Ink.Text)],
                    [new(f.Detail, Type.CellSmall, Ink.Text)],
                    [new(f.FirstSeen is { } seen ? Day(seen) : "\u2014", Type.Cell, Ink.Text)],
                ]);
            }
        }

        public void Waivers(AttestationSnapshot s)
        {
            Heading("Waivers in force");
            if (s.Waivers.Count == 0)
            {
                Note("No waiver is in force.");
                return;
            }

            Table(
            [
                new("Workload · model", 140), new("Rule", 80), new("Justification", ContentWidth - 360), new("Granted", 70), new("Expires", 70),
            ]);
            foreach (var v in s.Waivers)
            {
                Row(
                [
                    [new(v.Workload, Type.CellBold, Ink.Text), new(v.HostModelId, Type.CellSmall, Ink.Muted)],
                    [new(Words(v.Rule.ToString()), Type.Cell, Ink.Text)],
                    [new(v.Justification, Type.CellSmall, Ink.Text)],
                    [new(Day(v.GrantedAt), Type.Cell, Ink.Text), new(v.GrantedBy, Type.CellSmall, Ink.Muted)],
                    [new(Day(v.ExpiresAt), Type.CellBold, Ink.Text)],
                ]);
            }
        }

        public void TransitionPlans(AttestationSnapshot s)
        {
            Heading("Transition plans");
            if (s.TransitionPlans.Count == 0)
            {
                Note("No transition plan is recorded for this customer.");
                return;
            }

            Table(
            [
                new("Workload · current model", 150), new("Target model", ContentWidth - 345), new("Owner", 75), new("Target date", 65),
                new("Status", 55),
            ]);
            foreach (var p in s.TransitionPlans)
            {
                Row(
                [
                    [new(p.Workload, Type.CellBold, Ink.Text), new(p.FromHostModelId, Type.CellSmall, Ink.Muted)],
                    [new(p.TargetDisplayName, Type.Cell, Ink.Text), new(p.TargetHostModelId, Type.CellSmall, Ink.Muted)],
                    [new(p.Owner, Type.Cell, Ink.Text)],
                    [new(Day(p.TargetDate), Type.CellBold, Ink.Text)],
                    [new(Words(p.Status.ToString()), Type.Cell, p.Status == TransitionStatus.Done ? Ink.Green : Ink.Text)],
                ]);
            }
        }

        public void Approvals(AttestationSnapshot s)
        {
            Heading("Approvals relied on");
            if (s.Approvals.Count == 0)
            {
                Note("No approval in force covers the models bound for this customer.");
                return;
            }

            Note("Approvals in force at the as-of time for the models bound to this customer's workloads and within its scope.");
            Table(
            [
                new("Model", 185), new("Up to", 32), new("Data categories", 92), new("Usages", 72), new("Valid", ContentWidth - 436),
                new("Approved by", 55),
            ]);
            foreach (var a in s.Approvals)
            {
                var valid = a.ValidUntil is { } until ? $"{Day(a.ValidFrom)} – {Day(until)}" : $"from {Day(a.ValidFrom)}";
                Text[] model = a.Conditions is { Length: > 0 } conditions
                    ? [new(a.HostModelId, Type.Cell, Ink.Text), new($"Conditions: {conditions}", Type.CellSmall, Ink.Muted)]
                    : [new(a.HostModelId, Type.Cell, Ink.Text)];
                Row(
                [
                    model,
                    [new(Level(a.MaxImpactLevel), Type.CellBold, Ink.Text)],
                    [new(a.DataCategories.Count == 0 ? "—" : string.Join(", ", a.DataCategories.Select(Labels.Category)), Type.CellSmall, Ink.Text)],
                    [new(a.Usages.Count == 0 ? "—" : string.Join(", ", a.Usages.Select(u => Words(u.ToString()))), Type.CellSmall, Ink.Text)],
                    [new(valid, Type.CellSmall, Ink.Text)],
                    [new(a.DecidedBy ?? "—", Type.Cell, Ink.Text), new(a.DecidedAt is { } at ? Day(at) : "", Type.CellSmall, Ink.Muted)],
                ]);
            }
        }
    }
}
