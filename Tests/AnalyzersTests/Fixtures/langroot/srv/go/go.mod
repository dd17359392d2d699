module example.invalid/service

go 1.16

require (
	golang.org/x/text v0.3.5
	github.com/gin-gonic/gin v1.6.3 // indirect
	github.com/old/fork v1.0.0
)

require golang.org/x/net v0.0.0-20210226172049-e18ecbb05110

replace github.com/old/fork => github.com/new/fork v1.2.0

replace github.com/gin-gonic/gin => ../vendored/gin
