package io.polykube.samples.josdk;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;

/**
 * The operator under test. The workflow keeps each {@link Greeting}'s {@link GreetingConfigMap} before
 * {@link #reconcile} runs; reconcile signs the greeting into the {@link Guestbook} and writes the status. Being a
 * {@link Cleaner}, it makes JOSDK add a finalizer to every Greeting, so {@link #cleanup} runs before a Greeting is really
 * gone, also when its whole namespace is deleted.
 */
@Workflow(dependents = @Dependent(type = GreetingConfigMap.class))
public class GreetingReconciler implements Reconciler<Greeting>, Cleaner<Greeting> {
    private final Guestbook guestbook;

    GreetingReconciler(Guestbook guestbook) {
        this.guestbook = guestbook;
    }

    @Override
    public UpdateControl<Greeting> reconcile(Greeting greeting, Context<Greeting> context) {
        guestbook.signIn(greeting);
        String configMap = context.getSecondaryResource(ConfigMap.class).map(cm -> cm.getMetadata().getName())
                .orElse(null);
        greeting.setStatus(new Greeting.Status(GreetingConfigMap.messageFor(greeting), configMap));
        return UpdateControl.patchStatus(greeting);
    }

    @Override
    public DeleteControl cleanup(Greeting greeting, Context<Greeting> context) {
        guestbook.signOut(greeting);
        return DeleteControl.defaultDelete(); // JOSDK removes the finalizer: the API server can delete the Greeting
    }
}
