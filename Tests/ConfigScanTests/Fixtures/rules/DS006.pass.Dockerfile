# passes DS006
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM alpine:3.19
COPY --from=build /out/app /usr/local/bin/app
