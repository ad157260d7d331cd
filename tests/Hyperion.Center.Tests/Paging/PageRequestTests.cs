using Hyperion.Center.Paging;
using Hyperion.Domain.Errors;

namespace Hyperion.Center.Tests.Paging;

public sealed class PageRequestTests
{
    [Fact]
    public void Parse_Nothing_DefaultLimitNoCursor()
    {
        Assert.Equal(new PageRequest(PageRequest.DefaultLimit, null), PageRequest.Parse(null, null));
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("1000", 1000)]
    [InlineData("250", 250)]
    public void Parse_LimitInRange_Kept(string text, int expected)
    {
        Assert.Equal(expected, PageRequest.Parse(text, "abc").Limit);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("-5")]
    [InlineData("ten")]
    [InlineData("")]
    [InlineData(" 10")]
    [InlineData("99999999999")]
    public void Parse_BadLimit_InvalidArgumentOnLimit(string text)
    {
        var ex = Assert.Throws<DomainException>(() => PageRequest.Parse(text, null));

        Assert.Equal(ErrorCodes.InvalidArgument, ex.Code);
        Assert.Equal("limit", ex.Errors[0].Field);
    }

    [Fact]
    public void Parse_EmptyCursor_InvalidArgumentOnCursor()
    {
        var ex = Assert.Throws<DomainException>(() => PageRequest.Parse(null, ""));

        Assert.Equal("cursor", ex.Errors[0].Field);
    }
}
