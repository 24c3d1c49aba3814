/** Entry of the dashboard app (index.html and offline.html). */
import { render } from "preact";
import "uplot/dist/uPlot.min.css";
import "./styles.css";
import { App } from "./ui/App.js";

render(<App />, document.getElementById("app")!);
