// Package mail sends the inspectorate's e-mail: invitations with their
// personal link, reminders to invitations still unused, and result packets
// to unit heads. Messages are rendered from the locale files (Indonesian or
// English), queued in the store's delivery log, and sent in the background
// at a per-minute rate with retries and exponential back-off. The queue
// lives in SQLite, so a restart resumes it; a message's body is blanked as
// soon as it is sent, so a personal link does not outlive its delivery.
package mail
