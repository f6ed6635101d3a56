import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import { dashboardPath } from 'build-time-data';
import '@vaadin/grid';
import '@vaadin/grid/vaadin-grid-sort-column.js';
import '@vaadin/progress-bar';
import '@vaadin/button';
import '@vaadin/icon';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';

/**
 * poolwatch's pools in the Dev UI: name, workload, utilization (active/max) and state, refreshed every few seconds
 * from PoolwatchJsonRpcService.getPools (cached health only: it never touches a database).
 */
export class QwcPoolwatchPools extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; height: 100%; padding: 0 10px; }
        .toolbar { display: flex; align-items: center; gap: 1em; padding: 6px 0; }
        .grid { flex: 1; }
        .utilization { display: flex; align-items: center; gap: 0.5em; width: 100%; }
        .utilization vaadin-progress-bar { flex: 1; min-width: 60px; }
        .state { font-weight: bold; text-transform: uppercase; font-size: var(--lumo-font-size-s); }
        .healthy { color: var(--lumo-success-text-color); }
        .degraded { color: var(--lumo-warning-text-color, orange); }
        .exhausted { color: var(--lumo-error-text-color); }
        .unhealthy { color: var(--lumo-error-text-color); }
        .detail { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); white-space: normal; }
    `;

    static properties = {
        _pools: { state: true },
        _error: { state: true }
    };

    connectedCallback() {
        super.connectedCallback();
        this._refresh();
        this._timer = setInterval(() => this._refresh(), 5000);
    }

    disconnectedCallback() {
        clearInterval(this._timer);
        super.disconnectedCallback();
    }

    _refresh() {
        this.jsonRpc.getPools()
            .then(response => { this._pools = response.result; this._error = null; })
            .catch(e => { this._error = (e && e.error && e.error.message) || String(e); });
    }

    render() {
        if (this._error) {
            return html`<p>Could not read the pools: ${this._error}</p>`;
        }
        if (!this._pools) {
            return html`<vaadin-progress-bar indeterminate></vaadin-progress-bar>`;
        }
        return html`
            <div class="toolbar">
                <span>${this._pools.length} pool${this._pools.length === 1 ? '' : 's'}</span>
                <vaadin-button theme="small" @click=${() => this._refresh()}>Refresh</vaadin-button>
                <a href="${dashboardPath}" target="_blank">Open the poolwatch dashboard</a>
            </div>
            <vaadin-grid class="grid" .items=${this._pools} theme="row-stripes wrap-cell-content" all-rows-visible>
                <vaadin-grid-sort-column header="Pool" path="name" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column header="Workload" path="workload" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-column header="Role" path="role" auto-width></vaadin-grid-column>
                <vaadin-grid-sort-column header="Utilization (active/max)" path="utilization" width="16em" flex-grow="0"
                    ${columnBodyRenderer(p => this._utilization(p), [])}></vaadin-grid-sort-column>
                <vaadin-grid-column header="Idle" path="idle" auto-width></vaadin-grid-column>
                <vaadin-grid-column header="Waiting" path="awaiting" auto-width></vaadin-grid-column>
                <vaadin-grid-sort-column header="State" path="state" auto-width
                    ${columnBodyRenderer(p => html`<span class="state ${p.state}">${p.state}</span>`, [])}></vaadin-grid-sort-column>
                <vaadin-grid-column header="Detail" path="detail"
                    ${columnBodyRenderer(p => html`<span class="detail">${p.detail}</span>`, [])}></vaadin-grid-column>
            </vaadin-grid>`;
    }

    _utilization(pool) {
        const value = Math.min(1, Math.max(0, pool.utilization || 0));
        return html`<div class="utilization">
            <vaadin-progress-bar value="${value}" theme="${pool.state === 'exhausted' ? 'error' : value >= 0.8 ? 'contrast' : 'success'}"></vaadin-progress-bar>
            <span>${pool.active}/${pool.max}</span>
        </div>`;
    }
}
customElements.define('qwc-poolwatch-pools', QwcPoolwatchPools);
