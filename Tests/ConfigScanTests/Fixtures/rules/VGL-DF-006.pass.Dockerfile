# passes VGL-DF-006
FROM python:3.12
RUN pip install requests==2.31.0 -r requirements.txt .
RUN pip3 install --index-url https://pypi.example.com/simple "flask>=3,<4"
