import { analyzeDockerfile } from '../server/src/service/model/analyze';
const text = `# syntax=docker/dockerfile:1
ARG NODE=22
FROM node:\${NODE} AS deps
WORKDIR /app
COPY package*.json ./
RUN npm ci
FROM deps AS build
COPY . .
RUN npm run build
WORKDIR /app
FROM nginx:1.27
COPY --from=build /app/dist /usr/share/nginx/html
COPY --from=nope /x /y
RUN <<EOF
echo hi
EOF
CMD ["nginx", "-g", "daemon off;"]
FROM alpine AS unused
RUN <<A cat
broken
EXPOSE 80
`;
console.log(JSON.stringify(analyzeDockerfile(text, { buildArgs: { NODE: '20' } }), (k, v) => (k === 'range' || k === 'keywordRange' || k === 'nameRange' ? undefined : v), 1));
