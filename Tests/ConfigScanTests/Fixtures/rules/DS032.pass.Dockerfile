# passes DS032
FROM debian:12
RUN set -eux -o pipefail && curl -fsSL https://example.com/a.tgz | tar xz
RUN echo a || echo b
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/b.tgz | tar xz
