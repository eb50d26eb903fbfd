import type { Text } from './explain';

/**
 * One line each of Build (what the builder does here), Ship (what travels to and from a
 * registry) and Run (what a container sees), per instruction. Keyed by keyword; English and
 * Korean.
 */
export const BUILD: Record<string, Text> = {
  FROM: {
    en: 'starts from the base image\'s layers; nothing is copied, they are reused as they are',
    ko: '베이스 이미지의 레이어에서 시작: 복사하지 않고 그대로 재사용',
  },
  RUN: {
    en: 'runs the command in a temporary container on top of the layers so far, then saves every file it changed as a new layer',
    ko: '지금까지의 레이어 위 임시 컨테이너에서 명령을 실행하고, 바뀐 파일 전부를 새 레이어로 저장',
  },
  COPY: {
    en: 'copies files from the build context (or another stage) into a new layer; their contents decide whether the cache is reused',
    ko: '빌드 컨텍스트(또는 다른 스테이지)의 파일을 새 레이어로 복사; 캐시 재사용 여부는 파일 내용이 결정',
  },
  ADD: {
    en: 'like COPY, but also unpacks local tar archives and can fetch URLs',
    ko: 'COPY와 같지만 로컬 tar 압축을 풀고 URL도 가져올 수 있음',
  },
  WORKDIR: {
    en: 'sets the working directory, creating it if it does not exist',
    ko: '작업 디렉터리를 지정하고, 없으면 만듦',
  },
  ARG: {
    en: 'declares a build argument: later RUN steps see it in their environment, so changing it rebuilds them',
    ko: '빌드 인자 선언: 이후 RUN 단계의 환경에 들어가므로 값이 바뀌면 다시 빌드됨',
  },
  ENV: {
    en: 'records an environment variable in the image config; later RUN steps see it, so changing it rebuilds them',
    ko: '환경 변수를 이미지 설정에 기록; 이후 RUN 단계가 보므로 바뀌면 다시 빌드됨',
  },
  default: {
    en: 'records a setting in the image config; no files are written',
    ko: '이미지 설정에 값을 기록; 파일은 쓰지 않음',
  },
};

export const RUN: Record<string, Text> = {
  FROM: {
    en: 'containers of this image share the host\'s kernel: the image holds a filesystem, not an operating system kernel (unlike a VM disk)',
    ko: '이 이미지의 컨테이너는 호스트 커널을 공유: 이미지에는 파일시스템만 있고 커널은 없음 (VM 디스크와 다름)',
  },
  layer: {
    en: 'read-only inside every container; a container writes only to its own thin read-write layer on top, which disappears with it',
    ko: '모든 컨테이너에서 읽기 전용; 컨테이너는 맨 위의 얇은 읽기-쓰기 레이어에만 쓰고, 그 레이어는 컨테이너와 함께 사라짐',
  },
  CMD: {
    en: 'the default command; the exec form (["app"]) runs as PID 1 and receives signals, the shell form runs under /bin/sh -c',
    ko: '기본 명령; exec 형식(["app"])은 PID 1로 실행되어 시그널을 받고, shell 형식은 /bin/sh -c 아래에서 실행',
  },
  ENTRYPOINT: {
    en: 'the program every container starts; CMD becomes its arguments. Use the exec form so it runs as PID 1 and gets SIGTERM',
    ko: '모든 컨테이너가 시작하는 프로그램; CMD는 그 인자가 됨. PID 1로 실행되어 SIGTERM을 받도록 exec 형식을 쓸 것',
  },
  USER: {
    en: 'processes run as this user: avoid root where you can',
    ko: '프로세스가 이 사용자로 실행됨: 가능하면 root를 피할 것',
  },
  EXPOSE: {
    en: 'documents a port; it publishes nothing (use -p when running)',
    ko: '포트를 문서화할 뿐 공개하지 않음 (실행할 때 -p 사용)',
  },
  VOLUME: {
    en: 'this path is a volume at run time: writes there bypass the container\'s layer and outlive it',
    ko: '실행 시 이 경로는 볼륨: 여기에 쓰는 것은 컨테이너 레이어를 거치지 않고 컨테이너보다 오래 남음',
  },
  HEALTHCHECK: {
    en: 'the engine runs this check inside the container and marks it healthy or unhealthy',
    ko: '엔진이 컨테이너 안에서 이 검사를 실행해 healthy/unhealthy를 표시',
  },
  ENV: {
    en: 'every process in the container sees this variable',
    ko: '컨테이너의 모든 프로세스가 이 변수를 봄',
  },
  WORKDIR: {
    en: 'the container\'s processes start in this directory',
    ko: '컨테이너 프로세스가 이 디렉터리에서 시작',
  },
  STOPSIGNAL: {
    en: 'the signal `docker stop` sends to PID 1',
    ko: '`docker stop`이 PID 1에 보내는 시그널',
  },
};

export const SHIP = {
  layer: {
    en: '{compressed} compressed travels on push and pull; a registry or host that already has this exact layer skips it',
    ko: '푸시·풀 때 압축된 {compressed}가 전송됨; 같은 레이어를 이미 가진 레지스트리나 호스트는 건너뜀',
  },
  unknown: {
    en: 'its compressed size travels on push and pull; a registry or host that already has this exact layer skips it',
    ko: '푸시·풀 때 압축된 크기만큼 전송됨; 같은 레이어를 이미 가진 레지스트리나 호스트는 건너뜀',
  },
  base: {
    en: '{compressed} compressed, downloaded once per host and shared by every image built on it',
    ko: '압축 {compressed}, 호스트마다 한 번 내려받아 이 위에 만든 모든 이미지가 공유',
  },
  metadata: {
    en: 'part of the small image config (a few kB), not a layer',
    ko: '작은 이미지 설정(수 kB)의 일부일 뿐, 레이어가 아님',
  },
} satisfies Record<string, Text>;

export const LABELS = {
  build: { en: 'Build', ko: '빌드' },
  ship: { en: 'Ship', ko: '전송' },
  run: { en: 'Run', ko: '실행' },
  showInTree: { en: 'Show in the layer tree', ko: '레이어 트리에서 보기' },
} satisfies Record<string, Text>;
