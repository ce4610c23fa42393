// ONNX Runtime checks `data instanceof Float32Array` against Node's own typed arrays; Jest's
// sandbox has its own copies, so the sandbox is given Node's.
const { TestEnvironment } = require('jest-environment-node');

module.exports = class SharedTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of [
      'Float32Array',
      'Float64Array',
      'Int8Array',
      'Int16Array',
      'Int32Array',
      'Uint8Array',
      'Uint16Array',
      'Uint32Array',
      'BigInt64Array',
      'BigUint64Array',
      'ArrayBuffer',
    ]) {
      this.global[name] = globalThis[name];
    }
  }
};
