# expect: 3 4 5
FROM alpine:3.19
ENV DB_PASSWORD=hunter2
ARG NPM_TOKEN
ENV apiKey=x
