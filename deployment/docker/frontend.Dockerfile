# The web GUI on port 3000, served by nginx, with /api passed to the backend.
# Build from the repository root after `mvn -B -DskipTests package`:
#   docker build -f deployment/docker/frontend.Dockerfile -t ursprung-gui .
FROM nginx:1.27-alpine

COPY gui-frontend/target/classes/public/ /usr/share/nginx/html/
COPY deployment/docker/nginx.conf /etc/nginx/conf.d/default.conf

EXPOSE 3000
