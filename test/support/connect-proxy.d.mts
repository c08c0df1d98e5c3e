export interface ConnectProxyOptions {
  /** `user:password`: requests without this `Proxy-Authorization: Basic …` get 407. */
  credentials?: string;
  /** Answer every request (CONNECT or not) with this status. */
  refuse?: number;
}

/** One request as the proxy saw it: `CONNECT 127.0.0.1:4433`, or an absolute-form `POST http://…`. */
export interface ProxiedRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface ConnectProxy {
  readonly port: number;
  /** `http://127.0.0.1:PORT`, without credentials. */
  readonly url: string;
  readonly requests: ProxiedRequest[];
  /** Every byte that passed through a tunnel, both ways. */
  readonly tunnelled: Buffer;
  /** Everything the proxy saw as text: request lines, headers, tunnelled bytes. */
  log(): string;
  reset(): void;
  /** Refuse from now on with this status (`null`: stop refusing). */
  refuse(status: number | null): void;
  close(): Promise<void>;
}

export function startConnectProxy(options?: ConnectProxyOptions): Promise<ConnectProxy>;
