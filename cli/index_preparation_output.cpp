#include "cli/index_preparation_output.h"

#include "cli/interrupt.h"
#include "cli/output.h"
#include "core/snapshots/view_reconcile.h"
#include "core/tree/index_preparation.h"

namespace chantal::cli {

void prepare_moved_trees(AppContext& context, const std::vector<std::string>& repo_ids) {
    // Interrupted: stop here; the first reader of each tree generates it.
    if (repo_ids.empty() || install_interrupt_handlers().load()) return;
    const std::string later = "; the first client to ask for them waits while they are made";
    std::vector<PreparedIndexes> outcome;
    try {
        Database& database = context.catalogue().database();
        reconcile_views(database, context.config());  // a configured view not in the catalogue yet gets its row
        const auto trees = latest_trees_moved_by(context.config(), repo_ids);
        outcome = prepare_generated_indexes(database, context.pool(), &context.signing_keys(), trees);
    } catch (const Error& error) {  // the catalogue stayed locked, say: the sync itself succeeded
        context.console().warning(std::string("index files not generated (") + error.what() + ")" + later);
        return;
    }
    for (const auto& prepared : outcome) {
        if (prepared.error) {
            context.console().warning(prepared.tree.path() + ": index files not generated (" + prepared.error->what() +
                                      ")" + later);
        } else if (prepared.generated) {
            context.console().info(prepared.tree.path() + ": " + std::to_string(prepared.files) +
                                   " index files generated in " + format_seconds(prepared.seconds));
        }
    }
}

}  // namespace chantal::cli
