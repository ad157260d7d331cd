using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hyperion.Center.Persistence.Conversions;

/// <summary>Stores a host-local <see cref="VmId"/> as its text (<c>vm-3</c>).</summary>
public sealed class VmIdConverter() : ValueConverter<VmId, string>(id => id.Value, text => new VmId(text));
