package server

import "github.com/gin-gonic/gin"

// User is the signed-in account as the handlers see it.
type User struct {
	ID    int64
	Email string
	Name  string
	Role  string   // admin, inspector, analyst, viewer
	Units []string // unit codes a viewer may see; empty for other roles
	Via   string   // how the request was authenticated: "session" or "token"
}

const userKey = "integritas.user"

// currentUser is the request's signed-in user, or nil.
func currentUser(c *gin.Context) *User {
	if v, ok := c.Get(userKey); ok {
		if u, ok := v.(*User); ok {
			return u
		}
	}
	return nil
}
