using Compliance.Domain;
using Compliance.Web.Shared;

namespace Compliance.Tests.Shared;

/// <summary>One set of words for domain values, so the screen and the signed PDF never disagree.</summary>
public sealed class LabelsTests
{
    [Fact]
    public void Export_controlled_data_reads_the_same_everywhere()
    {
        Assert.Equal("Export-controlled", Labels.Category(DataCategories.ExportControlled));
        Assert.Equal("CUI, Export-controlled", Labels.Categories(DataCategories.CUI | DataCategories.ExportControlled));
        Assert.Equal("—", Labels.Categories(DataCategories.None));
    }
}
