using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Errors;

namespace Hyperion.Web.Library;

/// <summary>What the browser's upload answered (<c>status</c> 0: no answer, -1: cancelled) and the body it read.</summary>
public sealed record LibraryUploadResult(int Status, string Body)
{
    /// <summary>The imported item; a refusal as the Center's <see cref="DomainException"/> (from its problem details).</summary>
    public CenterLibraryItemDto Item()
    {
        if (Status is >= 200 and < 300)
        {
            return JsonSerializer.Deserialize<CenterLibraryItemDto>(Body, JsonDefaults.Options)
                ?? throw new DomainException(ErrorCodes.InvalidArgument, "the Center answered the upload without the item");
        }

        ProblemDto? problem = null;
        if (Status > 0)
        {
            try
            {
                problem = JsonSerializer.Deserialize<ProblemDto>(Body, JsonDefaults.Options);
            }
            catch (JsonException)
            {
                // Not a problem document: reported by status below.
            }
        }

        if (problem?.Code is { Length: > 0 } code)
        {
            throw problem.Errors is { Count: > 0 } errors
                ? new DomainException(errors.Select(e => new DomainError(e.Code, e.Message, e.Field)).ToList())
                : new DomainException(code, problem.Detail ?? problem.Title ?? code);
        }

        throw new DomainException(ErrorCodes.InvalidArgument, Status > 0 ? $"the Center answered {Status} to the upload" : Body);
    }
}
