namespace Hyperion.Center.Tests.Fixtures;

/// <summary>Test classes in this collection share one <see cref="PostgresServer"/> (one server per test run).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollectionDefinition : ICollectionFixture<PostgresServer>
{
    public const string Name = "Postgres";
}
