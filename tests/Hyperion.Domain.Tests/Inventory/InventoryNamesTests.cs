using Hyperion.Domain.Inventory;

namespace Hyperion.Domain.Tests.Inventory;

public sealed class InventoryNamesTests
{
    [Theory]
    [InlineData("web-01")]
    [InlineData("VM Network")]
    [InlineData("Datacenter ü")]
    public void Validate_Good_Null(string name)
    {
        Assert.Null(InventoryNames.Validate(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(" web")]
    [InlineData("web ")]
    [InlineData("a/b")]
    [InlineData("a\nb")]
    public void Validate_Bad_ReturnsInvalidArgument(string? name)
    {
        var error = InventoryNames.Validate(name);

        Assert.NotNull(error);
        Assert.Equal("request.invalid", error.Code);
        Assert.Equal("name", error.Field);
    }

    [Fact]
    public void Validate_TooLong_ReturnsError()
    {
        Assert.Null(InventoryNames.Validate(new string('a', InventoryNames.MaxLength)));
        Assert.NotNull(InventoryNames.Validate(new string('a', InventoryNames.MaxLength + 1)));
    }
}
