# passes DS016
FROM alpine:3.19 AS build
CMD ["a"]
FROM alpine:3.19
CMD ["b"]
