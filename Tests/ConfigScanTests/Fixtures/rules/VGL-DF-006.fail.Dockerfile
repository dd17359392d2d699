# expect: 3 4
FROM python:3.12
RUN pip install requests
RUN python3 -m pip install --no-cache-dir flask
