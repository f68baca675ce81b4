/** The SEI model's dimensions, levers and cells live in the analysis library (analysis/sei_model.ts), so that the library imports nothing from instrument/. */
export * from '../analysis/sei_model.js';
