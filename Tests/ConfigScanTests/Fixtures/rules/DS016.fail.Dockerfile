# expect: 3
FROM alpine:3.19
CMD ["a"]
CMD ["b"]
