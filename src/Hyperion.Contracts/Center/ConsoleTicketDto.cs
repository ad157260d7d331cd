namespace Hyperion.Contracts.Center;

/// <summary>
/// A short-lived, single-use ticket for a VM's console websocket (vSphere's AcquireTicket): browsers cannot put
/// credentials on a websocket, so the page asks for a ticket with its session and opens <see cref="Path"/>.
/// </summary>
public sealed record ConsoleTicketDto(string Ticket, DateTimeOffset ExpiresAt, string Path);
