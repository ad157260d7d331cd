using Hyperion.Contracts;
using Hyperion.Domain.Errors;
using Hyperion.Server.Problems;

namespace Hyperion.Server.Tests;

public sealed class ProblemResultsTests
{
    [Theory]
    [InlineData(ErrorCodes.VmNotFound, 404)]
    [InlineData(ErrorCodes.VmDuplicateName, 409)]
    [InlineData(ErrorCodes.VmAlreadyRegistered, 409)]
    [InlineData(ErrorCodes.VmInvalidState, 409)]
    [InlineData(ErrorCodes.Unauthorized, 401)]
    [InlineData(ErrorCodes.VmStartFailed, 500)]
    [InlineData(ErrorCodes.HypervisorError, 500)]
    [InlineData(ErrorCodes.VmShutdownTimeout, 504)]
    [InlineData(ErrorCodes.InvalidArgument, 400)]
    [InlineData(ErrorCodes.VmInvalidSpec, 422)]
    [InlineData(ErrorCodes.HostNoCapacity, 422)]
    [InlineData(ErrorCodes.DatastoreNotFound, 422)]
    [InlineData(ErrorCodes.ImageNotFound, 422)]
    [InlineData("something.unknown", 422)]
    public void StatusFor_Code_MapsToHttpStatus(string code, int expected)
    {
        Assert.Equal(expected, ProblemResults.StatusFor(code));
    }

    [Fact]
    public void From_SingleError_CarriesCodeDetailAndErrors()
    {
        var problem = ProblemResults.From(new DomainException(ErrorCodes.VmNotFound, "VM 'vm-9' does not exist"));

        Assert.Equal("https://hyperion.dev/problems/vm.not-found", problem.Type);
        Assert.Equal("Not found", problem.Title);
        Assert.Equal(404, problem.Status);
        Assert.Equal("VM 'vm-9' does not exist", problem.Detail);
        Assert.Equal("vm.not-found", problem.Code);
        Assert.Equal([new ProblemErrorDto("vm.not-found", "VM 'vm-9' does not exist", null)], problem.Errors);
    }

    [Fact]
    public void From_SeveralErrors_DetailJoinsMessagesAndCodeIsFirst()
    {
        var exception = new DomainException(
        [
            new DomainError(ErrorCodes.VmInvalidSpec, "a VM needs at least 1 vCPU (got 0)", "cpus"),
            new DomainError(ErrorCodes.HostNoCapacity, "too much memory", "memoryMiB"),
        ]);

        var problem = ProblemResults.From(exception);

        Assert.Equal(422, problem.Status);
        Assert.Equal("Invalid request", problem.Title);
        Assert.Equal("vm.invalid-spec", problem.Code);
        Assert.Equal("a VM needs at least 1 vCPU (got 0); too much memory", problem.Detail);
        Assert.Equal(
            [
                new ProblemErrorDto("vm.invalid-spec", "a VM needs at least 1 vCPU (got 0)", "cpus"),
                new ProblemErrorDto("host.no-capacity", "too much memory", "memoryMiB"),
            ],
            problem.Errors);
    }

    [Theory]
    [InlineData(ErrorCodes.VmInvalidState, 409, "Conflict")]
    [InlineData(ErrorCodes.VmStartFailed, 500, "Operation failed")]
    [InlineData(ErrorCodes.VmShutdownTimeout, 504, "Timed out")]
    [InlineData(ErrorCodes.InvalidArgument, 400, "Bad request")]
    [InlineData(ErrorCodes.Unauthorized, 401, "Unauthorized")]
    public void From_Code_TitleMatchesStatus(string code, int status, string title)
    {
        var problem = ProblemResults.From(new DomainException(code, "m"));

        Assert.Equal(status, problem.Status);
        Assert.Equal(title, problem.Title);
    }

    [Fact]
    public void Simple_StatusCodeDetail_BuildsProblemWithoutErrors()
    {
        var problem = ProblemResults.Simple(401, ErrorCodes.Unauthorized, "log in");

        Assert.Equal(
            new ProblemDto { Type = "https://hyperion.dev/problems/auth.unauthorized", Title = "Unauthorized", Status = 401, Detail = "log in", Code = "auth.unauthorized" },
            problem);
    }
}
