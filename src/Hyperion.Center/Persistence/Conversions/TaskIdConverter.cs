using Hyperion.Domain.Tasks;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hyperion.Center.Persistence.Conversions;

/// <summary>Stores a <see cref="TaskId"/> as its text (<c>task-7</c>).</summary>
public sealed class TaskIdConverter() : ValueConverter<TaskId, string>(id => id.Value, text => new TaskId(text));
