import { metrics, type MeterProvider, type ObservableResult } from '@opentelemetry/api';
import { runtimeInfo, type DeprecationRuntime } from './runtime';

export const OTEL_METRIC = 'unified_ws.deprecated_calls';

export interface OpenTelemetryOptions {
  /** Default: the global provider (a no-op unless the application installed an SDK first). */
  meterProvider?: MeterProvider;
}

/**
 * Exposes use counts as an OpenTelemetry observable counter. It is read when the SDK collects,
 * so uses cost nothing extra; attributes are bounded (code, entry point, removal version) and
 * never the call site, which would make a series per line of code.
 * Returns a function that stops reporting.
 */
export function openTelemetrySink(
  runtime: DeprecationRuntime,
  options: OpenTelemetryOptions = {},
): () => void {
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(
    'unified-ws',
    runtimeInfo.version,
  );
  const counter = meter.createObservableCounter(OTEL_METRIC, {
    description: 'Uses of deprecated unified-ws entry points',
    unit: '{call}',
  });
  const callback = (result: ObservableResult): void => {
    for (const state of runtime.all()) {
      if (state.count === 0) continue;
      result.observe(state.count, {
        'unified_ws.deprecation.code': state.code,
        'unified_ws.deprecation.entry_point': state.entryPoint,
        'unified_ws.deprecation.remove_in': state.entry.removeIn,
      });
    }
  };
  counter.addCallback(callback);
  return () => counter.removeCallback(callback);
}
