# expect: 3 4 5
FROM alpine:3.19
ENV GITHUB_TOKEN=abc123
ARG AWS_SECRET_ACCESS_KEY
RUN aws configure set aws_access_key_id "$KEY"
