namespace Hyperion.Hypervisor.CloudInit;

/// <summary>The three files of a cloud-init NoCloud seed, as UTF-8 text (the password, when set, is in <see cref="UserData"/>).</summary>
/// <param name="MetaData">Contents of <c>meta-data</c>: <c>instance-id</c> and <c>local-hostname</c>.</param>
/// <param name="UserData">Contents of <c>user-data</c>: a <c>#cloud-config</c> document.</param>
/// <param name="NetworkConfig">Contents of <c>network-config</c>: network config version 2 (netplan style).</param>
public sealed record NoCloudSeedFiles(string MetaData, string UserData, string NetworkConfig)
{
    public const string MetaDataName = "meta-data";
    public const string UserDataName = "user-data";
    public const string NetworkConfigName = "network-config";

    /// <summary>Volume label cloud-init's NoCloud data source looks for (it also accepts <c>CIDATA</c>).</summary>
    public const string VolumeLabel = "cidata";

    // Records print every member; the user data may hold a plain-text password.
    public override string ToString() => $"NoCloudSeedFiles {{ meta-data {MetaData.Length} chars, user-data {UserData.Length} chars, network-config {NetworkConfig.Length} chars }}";
}
