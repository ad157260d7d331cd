using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hyperion.Center.Persistence.Conversions;

/// <summary>Stores an <see cref="InventoryId"/> as its text (<c>vm-42</c>), so ids in the database read as they do in the API.</summary>
public sealed class InventoryIdConverter() : ValueConverter<InventoryId, string>(id => id.Value, text => new InventoryId(text));
