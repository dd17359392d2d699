# passes DS031
FROM alpine:3.19 AS build
ARG GITHUB_TOKEN
FROM alpine:3.19
COPY --from=build /x /x
RUN --mount=type=secret,id=aws aws configure set aws_access_key_id "$(cat /run/secrets/aws)"
