// Package poster draws printable A4 posters that invite the public to a
// unit's survey through its open link: the unit's name, a short invitation,
// the QR code and the short address, one poster per page.
package poster
