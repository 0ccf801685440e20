// Type stub for the fake backend script (plain JS, shared by e2e tests and `npm run dev`).
export {};
